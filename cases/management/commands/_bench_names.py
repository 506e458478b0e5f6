"""Names for the synthetic people of ``bench_person_search``: common given names and surnames of
a mixed US city (with accents, apostrophes and hyphens, as real records have them)."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words("""
Aaliyah Aaron Abdi Abigail Adam Adriana Ahmed Aiden Aisha Alejandro Alex Alexander Alexandra
Alicia Alyssa Amanda Amani Amir Amy Ana Andre Andrea Andrew Angela Angelica Anh Anthony Antonio
Ashley Ava Ayesha Barbara Benjamin Bianca Brandon Brian Brianna Bridget Caleb Camila Carlos
Carmen Carolina Catherine Cesar Charles Chloe Christian Christina Christopher Claudia Connor
Cristina Daniel Daniela Darius David Deborah Destiny Diana Diego Dmitri Dominic Donald Dorothy
Duc Dylan Eduardo Elena Elijah Elizabeth Emily Emma Eric Esperanza Ethan Eva Fatima Fernando
Francisco Gabriel Gabriela Grace Guadalupe Hannah Hassan Hector Henry Hiroshi Hoang Ibrahim Isaac
Isabel Isabella Ivan Jacob Jada Jamal James Jasmine Jason Javier Jayden Jennifer Jessica Jesús
Jin John Jonathan Jorge José Joseph Joshua Juan Julia Julian Justin Kaitlyn Kareem Katherine
Kayla Keisha Kenneth Kevin Khalid Kim Kyle Laura Lauren Layla Leah Leticia Liam Linh Lucas Lucía
Luis Madison Malik Manuel Marcus Margaret María Mariana Mark Marta Matthew Maya Mei Melissa Mia
Michael Michelle Miguel Mohamed Monique Nadia Natalia Nathan Nicholas Nicole Noah Nora Olivia
Omar Oscar Pablo Patricia Patrick Paul Pedro Priya Rachel Rafael Rahul Ramón Raúl Rebecca Ricardo
Richard Robert Rosa Ryan Samantha Samuel Sandra Sara Sarah Sean Sebastián Sergio Sofia Sophia
Stephanie Steven Susan Tamika Tanisha Thomas Tiffany Timothy Tyler Valentina Valeria Victor
Victoria Wei William Xavier Yasmin Yolanda Yusuf Zachary Zainab Zoe
""")

LAST_NAMES = _words("""
Abbott Acevedo Acosta Adams Aguilar Aguirre Ahmed Alexander Ali Allen Alvarado Álvarez Anderson
Andrade Andrews Armstrong Arnold Arroyo Austin Avila Ayala Bailey Baker Baldwin Banks Barbosa Barker
Barnes Barrett Barry Bates Bautista Beck Bell Benítez Bennett Bernard Berry Bishop Black Blake
Bowen Boyd Bradley Brady Brennan Brooks Brown Bryant Burke Burns Bush Butler Byrne Caballero
Cabrera Caldwell Calderón Campbell Campos Cardenas Carlson Carpenter Carr Carrillo Carroll Carter
Castillo Castro Chan Chang Chapman Chavez Chen Cho Choi Clark Clarke Cohen Cole Coleman Collins
Colón Contreras Cook Cooper Cordero Correa Cortez Costa Cox Crawford Cruz Cunningham Curtis Dang
Daniels Davidson Davis Dawson Day Dean Delgado Díaz Dixon Doherty Dominguez Douglas Doyle Duarte
Duffy Duncan Dunn Duong Durán Edwards Elliott Ellis Espinoza Estrada Evans Farrell Ferguson
Fernandes Fernández Fields Figueroa Fisher Fitzgerald Fleming Fletcher Flores Flynn Foley Ford
Foster Fox Francis Franco Franklin Freeman Fuentes Gallagher Gallego García Gardner Garner
Garrett Gibson Gilbert Gill Gómez González Goodwin Gordon Graham Grant Gray Green Greene Griffin
Guerrero Gupta Gutiérrez Guzmán Ha Hall Hamilton Hansen Harper Harris Harrison Hart Hassan Hawkins
Hayes Henderson Henry Hernández Herrera Hicks Hill Ho Hoang Hoffman Holland Holmes Hopkins
Howard Huang Hudson Hughes Hunt Hunter Huynh Ibrahim Jackson Jacobs James Jenkins Jensen Jiménez
Johnson Johnston Jones Jordan Joseph Kaur Kelly Kennedy Khan Kim King Knight Kowalski Kumar Lam
Lambert Lane Lara Larson Lawrence Le Lee Leon Lewis Li Lim Lin Little Liu Logan Long López Lucas
Luna Lynch Lyons Macías Mahoney Maldonado Mann Marín Marquez Marsh Marshall Martin Martínez Mason
Matthews Maxwell May McBride McCarthy McCoy McDonald McGrath McKenna McLaughlin Medina Mejía
Meléndez Mendez Mendoza Meyer Miller Mills Miranda Mitchell Molina Montgomery Moore Mora Morales
Moran Moreno Morgan Morris Morrison Mullen Munoz Murphy Murray Myers Nair Navarro Nelson Nguyen
Nichols Nolan Norris Núñez O'Brien O'Connor O'Donnell O'Neill O'Sullivan Ochoa Oliveira Oliver
Olson Ortega Ortiz Owens Pacheco Padilla Palmer Park Parker Patel Patterson Payne Peña Perez
Pereira Perkins Perry Peters Peterson Pham Phan Phillips Pierce Pierre Porter Powell Price
Quinn Quintero Quiñones Ramírez Ramos Rao Reed Reid Reyes Reynolds Rice Richards Richardson Riley
Rios Rivera Roberts Robertson Robinson Rodrigues Rodríguez Rogers Romero Rosa Rosales Rose Ross
Ruiz Russell Ryan Salazar Sanchez Sanders Sandoval Santana Santiago Santos Schmidt Schneider
Scott Shah Shapiro Sharma Shaw Shea Silva Simmons Simpson Sims Singh Smith Snyder Song Soto Sousa
Spencer Stanley Stephens Stevens Stewart Stone Suárez Sullivan Sutton Sweeney Tang Taylor Thomas
Thompson Torres Tran Truong Tucker Turner Valdez Valencia Vargas Vasquez Vega Velázquez Vieira
Vo Vu Wagner Walker Wallace Walsh Wang Ward Warren Washington Watkins Watson Weaver Webb Weber
Wells West Wheeler White Williams Williamson Wilson Wong Wood Woods Wright Wu Xu Yang Yi Young
Zamora Zhang Zhao Zhou Zimmerman Abreu Almeida Ambrose Baptiste Barros Beaulieu Bergeron Bianchi
Bouchard Cardoso Cavanagh Chowdhury Coelho Conti Costello Cronin Dasilva Dubois Esposito Fonseca
Gagnon Greco Haddad Hashemi Iyer Jean-Baptiste Kaplan Kearney Leblanc Levesque Lima Lombardi
Lopes Louis Machado Mahmoud Marino Mendes Moreira Mukherjee Nascimento Okafor Okonkwo Oyelaran
Pires Reddy Ricci Rocha Romano Rossi Russo Saleh Santoro Teixeira Tremblay Varghese Yusuf Zhu
""")

NICKNAMES = ("Junior", "Shorty", "Flaco", "Chino", "Red", "Tiny", "Sunny", "Mimi", "Boo", "Kiki")
